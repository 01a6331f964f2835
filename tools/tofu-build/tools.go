//go:build tools

// Package tools pins OpenTofu's CLI as a dependency of this wrapper module, so that
// `go mod tidy` keeps every module cmd/tofu needs in go.sum.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
