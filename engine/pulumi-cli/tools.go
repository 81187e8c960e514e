//go:build tools

// Package tools names the one command this wrapper module builds: the Pulumi CLI at the version go.mod
// pins. Pulumi's own go.mod points at sibling folders with `replace` directives, so `go install …@version`
// refuses it; this module requires the released modules instead and repeats only the replace that points
// at another module (github.com/atotto/clipboard). engine/build-cli.sh runs the build.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
