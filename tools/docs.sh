#!/usr/bin/env bash
# Documentation for the Terraform Registry, generated with tfplugindocs from
# templates/, examples/ and the provider schema.
#
#   tools/docs.sh generate   write docs/ (what `make docs` runs)
#   tools/docs.sh check      fail if docs/ is stale, an example does not
#                            validate, or an example is not `terraform fmt`ed
#
# Nothing is downloaded. Left to itself, `tfplugindocs generate` builds the
# provider and looks for a terraform binary on PATH, and when it finds none it
# downloads the latest release from releases.hashicorp.com. Instead, this
# script builds the provider, asks the local terraform (TF_ACC_TERRAFORM_PATH
# or PATH) for the schema through a dev_overrides CLI configuration (no
# `terraform init`, no registry), and hands the schema to tfplugindocs with
# --providers-schema, which skips its build and its terraform lookup entirely.
# The CLI configuration is written, and terraform run, by internal/cmd/tfrun
# (the repository's one terraform runner, internal/tfcli).
# tfplugindocs itself is pinned in go.mod (tools/tools.go) and run with
# `go run`, so it comes from the module cache or the Go module proxy.
set -euo pipefail

mode=${1:-generate}
case "$mode" in
generate | check) ;;
*)
	echo "usage: $0 generate|check" >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

terraform=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}
if [[ -z "$terraform" || ! -x "$terraform" ]]; then
	cat >&2 <<'EOF'
error: no terraform binary found.
  Put terraform (>= 1.5) on PATH, or set TF_ACC_TERRAFORM_PATH to its path.
  Generating the docs needs it to read the provider schema; nothing is downloaded.
EOF
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gitlab-provider-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The provider, and a CLI configuration that makes terraform use it for
# errortracking/gitlab without `terraform init`.
go build -o "$work/bin/terraform-provider-gitlab" .
go build -o "$work/tfrun" ./internal/cmd/tfrun
"$work/tfrun" cliconfig "$work/terraformrc" errortracking/gitlab="$work/bin"
tf() { # tf ARGS...: terraform with that CLI configuration, in the current directory
	"$work/tfrun" exec -config "$work/terraformrc" "$terraform" "$@"
}

mkdir "$work/schema"
cat >"$work/schema/main.tf" <<'EOF'
terraform {
  required_providers {
    gitlab = {
      source = "errortracking/gitlab"
    }
  }
}
EOF
if ! (cd "$work/schema" && tf providers schema -json >"$work/schema.raw.json" 2>"$work/schema.err"); then
	echo "error: terraform providers schema -json failed:" >&2
	cat "$work/schema.err" >&2
	exit 1
fi
# tfplugindocs finds a schema under the provider's short name or under
# registry.terraform.io/hashicorp/<name>; ours is published as errortracking/gitlab.
sed 's#"registry.terraform.io/errortracking/gitlab":#"gitlab":#' "$work/schema.raw.json" >"$work/schema.json"

tfplugindocs() {
	go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs "$@"
}

generate() { # generate <provider dir>
	local out
	if ! out=$(tfplugindocs generate --provider-dir "$1" --provider-name gitlab \
		--rendered-provider-name "GitLab Error Tracking" \
		--providers-schema "$work/schema.json" 2>&1); then
		echo "$out" >&2
		echo "error: tfplugindocs generate failed" >&2
		exit 1
	fi
}

if [[ "$mode" == generate ]]; then
	generate "$root"
	echo "docs/ generated from templates/ and examples/"
	exit 0
fi

status=0

# 1. docs/ is what generating it from the committed sources gives.
mkdir "$work/site"
cp -R templates examples "$work/site/"
if [[ -d docs ]]; then
	cp -R docs "$work/site/"
fi
generate "$work/site"
if ! diff -ru docs "$work/site/docs" >"$work/docs.diff" 2>&1; then
	echo "error: docs/ is out of date with templates/, examples/ or the provider schema." >&2
	echo "       Run \`make docs\` and commit the result. The difference:" >&2
	sed 's/^/  /' "$work/docs.diff" | head -n 60 >&2
	status=1
fi
if ! out=$(tfplugindocs validate --provider-dir "$root" --provider-name gitlab \
	--providers-schema "$work/schema.json" 2>&1); then
	echo "$out" >&2
	echo "error: tfplugindocs validate found problems in docs/" >&2
	status=1
fi

# 2. Every example is formatted and valid against the provider schema.
if ! out=$(tf fmt -check -recursive -diff examples 2>&1); then
	echo "$out" >&2
	echo "error: examples are not formatted; run \`terraform fmt -recursive examples\`" >&2
	status=1
fi
while IFS= read -r dir; do
	dest="$work/validate/${dir//\//_}"
	mkdir -p "$dest"
	cp "$dir"/*.tf "$dest/"
	# Registry examples omit the terraform block; without it, the gitlab_*
	# types would resolve to hashicorp/gitlab.
	if ! grep -q required_providers "$dest"/*.tf; then
		cat >"$dest/zz_required_providers.tf" <<'EOF'
terraform {
  required_providers {
    gitlab = {
      source = "errortracking/gitlab"
    }
  }
}
EOF
	fi
	if ! out=$(cd "$dest" && tf validate -no-color 2>&1); then
		# Without the warning every command gives under dev_overrides.
		echo "$out" | awk '/Provider development overrides are in effect/ { skip = 1 }
			!skip { print "  " $0 }
			skip && /releases\.$/ { skip = 0 }' >&2
		echo "error: $dir does not validate against the provider schema" >&2
		status=1
	fi
done < <(find examples -name '*.tf' -exec dirname {} \; | sort -u)

if [[ $status -eq 0 ]]; then
	echo "docs/ is up to date; examples are formatted and valid"
fi
exit $status
