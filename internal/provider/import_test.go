package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
)

// An import of a key the project does not have names the ID and lists the
// IDs the project has, instead of Terraform's "non-existent remote object".
func TestAccImport_keyNotInProjectListsItsKeys(t *testing.T) {
	env := acctest.New(t)
	id := env.AddProject("acme/keys")
	a, b := env.Server.AddKey(id), env.Server.AddKey(id)
	other := env.Server.AddKey(env.AddProject("acme/other")) // a key, but of another project

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:        env.Config(keyConfig("this", "acme/keys")),
				ResourceName:  "gitlab_error_tracking_client_key.this",
				ImportState:   true,
				ImportStateId: fmt.Sprintf("acme/keys:%d", other.ID),
				ExpectError: acctest.ErrorLike("No such client key", fmt.Sprintf(`Project "acme/keys" has no client key %d`, other.ID),
					fmt.Sprintf("The IDs of its keys: %d, %d.", a.ID, b.ID), `"acme/keys:<key_id>"`),
			},
		},
	})
}

func TestAccImport_keyOfProjectWithoutKeys(t *testing.T) {
	env := acctest.New(t)
	env.AddProject("acme/empty")

	accTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:        env.Config(keyConfig("this", "acme/empty")),
				ResourceName:  "gitlab_error_tracking_client_key.this",
				ImportState:   true,
				ImportStateId: "acme/empty:7",
				ExpectError:   acctest.ErrorLike("No such client key", `Project "acme/empty" has no client key 7`, "It has no client keys."),
			},
		},
	})
}
