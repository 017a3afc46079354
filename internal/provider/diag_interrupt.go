package provider

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// After an interrupt (Ctrl-C) Terraform waits for the calls in flight and
// saves what they return. What a failure says then is whether its request
// left: a request never sent changed nothing, and a key create that may
// have made a key it could not find names that key's way out of GitLab.

// createKeyDiag reports a failed step of a key create (action: the
// project's lookup before it, or the create itself).
func createKeyDiag(action, project string, err error) diag.Diagnostic {
	var lost *gitlab.LostKeyError
	switch k := gitlab.KindOf(err); {
	case errors.As(err, &lost):
		return lostKeyDiag(lost)
	case k == gitlab.KindNotSent, k == gitlab.KindInterrupted && methodOf(err) != http.MethodPost:
		return diag.NewErrorDiagnostic("Interrupted before the client key was created",
			fmt.Sprintf("The run was interrupted before the request to create a client key in project %q was sent: "+
				"GitLab is unchanged, and the next apply creates the key.", project))
	case k == gitlab.KindInterrupted:
		// CreateClientKey looked at the keys, and GitLab had made none.
		return diag.NewErrorDiagnostic("Interrupted: no client key was created",
			fmt.Sprintf("Could not create a client key for project %q%s.\n\nA look at the project's keys afterwards found no key "+
				"that the request created: GitLab is unchanged, and the next apply creates the key.", project, answerOf(err)))
	}
	return apiDiag(action, project, err)
}

// lostKeyDiag names a key that GitLab may have created and that no state
// records, with the import or the API call that settles it.
func lostKeyDiag(lost *gitlab.LostKeyError) diag.Diagnostic {
	which := "any ID"
	if lost.After > 0 {
		which = fmt.Sprintf("an ID above %d", lost.After)
	}
	return diag.NewErrorDiagnostic("Client key may exist in GitLab without state",
		fmt.Sprintf("Could not create a client key for project %q%s.\n\n"+
			"GitLab may have created the key, and no state records it: it would be the newest key of project %q, with %s. "+
			"List the project's keys (the gitlab_error_tracking_client_keys data source, or GET %s with the token in the "+
			"PRIVATE-TOKEN header), then either import that key into this resource with an import block\n\n"+
			"  import {\n    to = gitlab_error_tracking_client_key.<name>\n    id = \"%s:<key_id>\"\n  }\n\n"+
			"(or `terraform import`, `tofu import`), or delete it: DELETE %s/<key_id>. Otherwise the next apply creates another key.",
			lost.Project, answerOf(lost), lost.Project, which, lost.ListURL, lost.Project, lost.ListURL))
}
