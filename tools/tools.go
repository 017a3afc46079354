//go:build generate

// Package tools pins the development tools this repository runs with
// `go run`, so their versions come from go.mod and go.sum like any other
// dependency. `go generate` sets the generate build tag; builds never see it.
package tools

import (
	// Documentation generation: templates/ and examples/ into docs/.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Generate the documentation (the same as `make docs`).
//go:generate bash docs.sh generate
