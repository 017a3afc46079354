package provider

import (
	"context"
	"iter"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/errortracking/terraform-provider-gitlab/internal/gitlab"
)

// listResource is a list resource, generic over its config model M and over
// what one project's read gives (T). What both list resources do alike is
// here: the type name, the schema, the scope's validation, resolving each
// project and reading the projects in order (list_fetch.go); the listKind
// says what is read and which results it makes (settings_list.go,
// client_key_list.go).
type listResource[M any, P scoped[M], T any] struct {
	listBase
	kind listKind[M, T]
}

// scoped is a pointer to a list block's config model.
type scoped[M any] interface {
	*M
	scopeModel
}

// listKind is what one list resource lists.
type listKind[M any, T any] struct {
	typeName string // after the provider's type name, as its resource's
	// what names what a list block with config lists, for messages
	// ("active client keys").
	what   func(config *M) string
	schema func() listschema.Schema
	// fetch reads what is listed of the resolved project p.
	fetch func(ctx context.Context, b *listBase, p listedProject) (T, error)
	// results pushes (with run.push) the results of one project's read,
	// at most room of them, and returns how many it pushed and whether the
	// listing goes on.
	results func(run *listRun, config *M, f fetched[T], room int64) (int64, bool)
}

var (
	_ list.ListResource                   = (*listResource[listScopeModel, *listScopeModel, any])(nil)
	_ list.ListResourceWithConfigure      = (*listResource[listScopeModel, *listScopeModel, any])(nil)
	_ list.ListResourceWithValidateConfig = (*listResource[listScopeModel, *listScopeModel, any])(nil)
)

func (l *listResource[M, P, T]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.kind.typeName
}

func (l *listResource[M, P, T]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = l.kind.schema()
}

func (l *listResource[M, P, T]) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var m M
	if !load(ctx, &resp.Diagnostics, req.Config, &m) {
		return
	}
	addConfigErrors(&resp.Diagnostics, validateScope(P(&m).listScope()))
}

func (l *listResource[M, P, T]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m M
	run, src, ok := l.start(ctx, req, stream, P(&m))
	if !ok {
		return
	}
	stream.Results = func(yield func(list.ListResult) bool) {
		run.yield = yield
		fetchInOrder(ctx, l.listSlots, src, req.Limit,
			func(ctx context.Context, p listedProject) (listedProject, T, error) {
				p, err := l.resolve(ctx, p)
				if err != nil {
					var none T
					return p, none, err
				}
				v, err := l.kind.fetch(ctx, &l.listBase, p)
				return p, v, err
			},
			func(f fetched[T], room int64) (int64, bool) {
				return l.kind.results(run, &m, f, room)
			})
		run.finish(l.kind.what(&m))
	}
}

// projectsOf yields the projects of the scope in order (a project named
// twice in `projects` is left out the second time by listRun.first). A
// group's projects come with their IDs and paths from the group listing,
// read page by page as they are consumed; the entries of `projects` are
// resolved later, in parallel (see resolve). An error ends the sequence.
//
// Archived projects are always asked for, so that those include_archived
// leaves out are named in run's warning (list_skipped.go); both list
// resources then share the group's pages whatever include_archived says.
func (b *listBase) projectsOf(ctx context.Context, s listScopeModel, run *listRun) (iter.Seq2[listedProject, error], []diagAt) {
	if !s.Group.IsNull() {
		q := gitlab.GroupProjectsQuery{
			IncludeSubgroups: s.IncludeSubgroups.IsNull() || s.IncludeSubgroups.ValueBool(),
			IncludeArchived:  true,
		}
		group := s.Group.ValueString()
		return func(yield func(listedProject, error) bool) {
			for p, err := range b.client.GroupProjects(ctx, group, q) {
				if err != nil {
					yield(listedProject{}, err)
					return
				}
				lp := listedProject{ref: strconv.FormatInt(p.ID, 10), id: p.ID, path: p.PathWithNamespace}
				if p.Archived && !s.IncludeArchived.ValueBool() {
					run.skip(lp, "archived (`include_archived = true` lists it)")
					continue
				}
				if !yield(lp, nil) {
					return
				}
			}
		}, nil
	}
	var refs []string
	if d := s.Projects.ElementsAs(ctx, &refs, false); d.HasError() {
		return nil, []diagAt{{"projects", "Invalid projects", "`projects` must be a list of known strings."}}
	}
	return func(yield func(listedProject, error) bool) {
		for _, ref := range refs {
			if !yield(listedProject{ref: ref}, nil) {
				return
			}
		}
	}, nil
}

// start reads the list block's config into scope and returns the run and
// its projects; false after it has set a stream of the errors.
func (b *listBase) start(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream, scope scopeModel) (*listRun, iter.Seq2[listedProject, error], bool) {
	var diags diag.Diagnostics
	if !load(ctx, &diags, req.Config, scope) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return nil, nil, false
	}
	if _, ok := b.requireClient(&diags); !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return nil, nil, false
	}
	s := scope.listScope()
	run := &listRun{base: b, ctx: ctx, req: req, scope: s}
	src, bad := b.projectsOf(ctx, s, run)
	addConfigErrors(&diags, bad)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return nil, nil, false
	}
	return run, src, true
}
