package provider_test

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/errortracking/terraform-provider-gitlab/internal/acctest"
)

// warnings records the warnings the provider returns to Terraform, which
// terraform-plugin-testing has no check for: the provider is served as
// usual, behind a server that notes the diagnostics of every refresh, plan
// import and apply on the way out.
type warnings struct {
	mu   sync.Mutex
	seen []string // "summary: detail"
}

func (w *warnings) note(diags []*tfprotov6.Diagnostic) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range diags {
		if d != nil && d.Severity == tfprotov6.DiagnosticSeverityWarning {
			w.seen = append(w.seen, d.Summary+": "+d.Detail)
		}
	}
}

// reset forgets what was seen, so that a step checks only its own warnings.
func (w *warnings) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen = nil
}

// factories serves the provider as acctest.ProviderFactories does, with its
// warnings noted in w.
func (w *warnings) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	out := map[string]func() (tfprotov6.ProviderServer, error){}
	for name, f := range acctest.ProviderFactories() {
		out[name] = func() (tfprotov6.ProviderServer, error) {
			s, err := f()
			if err != nil {
				return nil, err
			}
			return warningServer{ProviderServer: s, w: w}, nil
		}
	}
	return out
}

// expect is a plan check that fails unless a warning holds every part, in
// order; Terraform's own line wrapping plays no part here.
func (w *warnings) expect(parts ...string) plancheck.PlanCheck {
	return warningCheck{w: w, parts: parts}
}

// none is a check that fails if any warning was seen.
func (w *warnings) none() resource.TestCheckFunc {
	return stepCheck(func() error {
		w.mu.Lock()
		defer w.mu.Unlock()
		if len(w.seen) != 0 {
			return fmt.Errorf("unexpected warnings: %q", w.seen)
		}
		return nil
	})
}

// has is a check that fails unless a warning holds every part, in order:
// for warnings of an apply or a destroy.
func (w *warnings) has(parts ...string) resource.TestCheckFunc {
	return stepCheck(func() error {
		var resp plancheck.CheckPlanResponse
		warningCheck{w: w, parts: parts}.CheckPlan(context.Background(), plancheck.CheckPlanRequest{}, &resp)
		return resp.Error
	})
}

type warningCheck struct {
	w     *warnings
	parts []string
}

func (c warningCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	for _, s := range c.w.seen {
		if containsInOrder(s, c.parts) {
			return
		}
	}
	resp.Error = fmt.Errorf("no warning holds %q; the warnings were: %q", c.parts, c.w.seen)
}

func containsInOrder(s string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

type warningServer struct {
	tfprotov6.ProviderServer
	w *warnings
}

func (s warningServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := s.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		s.w.note(resp.Diagnostics)
	}
	return resp, err
}

func (s warningServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.w.note(resp.Diagnostics)
	}
	return resp, err
}

func (s warningServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.w.note(resp.Diagnostics)
	}
	return resp, err
}
