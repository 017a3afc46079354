#!/usr/bin/env bash
# Documentation for the Terraform Registry, generated with tfplugindocs from
# templates/, examples/ and the provider schema.
#
#   tools/docs.sh generate      write docs/ (what `make docs` runs)
#   tools/docs.sh check         fail if docs/ is stale, an example does not
#                               validate, or an example is not `terraform fmt`ed
#   tools/docs.sh check-if-cli  the check, or, when DOCS_TERRAFORM is unset and
#                               no terraform here can generate the docs, a
#                               notice that it was skipped (what `make test` runs)
#
# One CLI generates and checks the docs: a Terraform of 1.14 or later,
# DOCS_TERRAFORM (a path, or a name on PATH; unset: TF_ACC_TERRAFORM_PATH, else
# terraform on PATH). Older releases write no resource identity or list
# resource schemas and OpenTofu writes no list resource schemas, so with any
# other CLI the pages would depend on who ran `make docs`.
#
# Nothing is downloaded. Left to itself, `tfplugindocs generate` builds the
# provider and looks for a terraform binary on PATH, and when it finds none it
# downloads the latest release from releases.hashicorp.com. Instead, this
# script builds the provider, asks that terraform for the schema through a
# dev_overrides CLI configuration (no `terraform init`, no registry), and
# hands the schema to tfplugindocs with --providers-schema, which skips its
# build and its terraform lookup entirely. The CLI configuration is written,
# and terraform run, by internal/cmd/tfrun (the repository's one terraform
# runner, internal/tfcli). tfplugindocs itself is pinned in go.mod
# (tools/tools.go) and run with `go run`, so it comes from the module cache or
# the Go module proxy.
set -euo pipefail

mode=${1:-generate}
case "$mode" in
generate | check | check-if-cli) ;;
*)
	echo "usage: $0 generate|check|check-if-cli" >&2
	exit 2
	;;
esac

# The oldest Terraform whose schema output has everything the pages show.
docs_min=1.14

terraform=${DOCS_TERRAFORM:-${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}}
if [[ "$terraform" == */* && "$terraform" != /* ]]; then
	terraform="$PWD/$terraform" # relative to where make (or the script) was run
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

work=$(mktemp -d "${TMPDIR:-/tmp}/gitlab-provider-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT

go build -o "$work/tfrun" ./internal/cmd/tfrun
if [[ -z "$terraform" ]]; then
	why="DOCS_TERRAFORM is not set and there is no terraform on PATH (nor TF_ACC_TERRAFORM_PATH)."
elif ! why=$("$work/tfrun" check -terraform "$docs_min" "$terraform" 2>&1); then
	why=${why#tfrun: }
else
	why=
fi
if [[ -n "$why" ]]; then
	if [[ "$mode" == check-if-cli && -z "${DOCS_TERRAFORM:-}" ]]; then
		echo "docs-check SKIPPED: docs/ is checked with Terraform $docs_min or later, and there is none here:"
		echo "  $why"
		echo "  Name one with DOCS_TERRAFORM=/path/to/terraform to check docs/ and the examples."
		exit 0
	fi
	target=docs-check
	[[ "$mode" == generate ]] && target=docs
	cat >&2 <<EOF
error: docs/ is generated and checked with one Terraform $docs_min or later, named by
  DOCS_TERRAFORM (make $target DOCS_TERRAFORM=/path/to/terraform), and there is none here:
  $why
  Nothing was generated or checked: this says nothing about whether docs/ is up to date.
  Older releases and OpenTofu write fewer schemas, so they would give other pages.
EOF
	exit 1
fi

# The provider, and a CLI configuration that makes terraform use it for
# errortracking/gitlab without `terraform init`.
go build -o "$work/bin/terraform-provider-gitlab" .
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
	# List resource examples are query files (.tfquery.hcl), validated
	# with -query next to the terraform block below. find named the
	# directory for one of them, so the list is never empty.
	shopt -s nullglob
	files=("$dir"/*.tf "$dir"/*.tfquery.hcl)
	shopt -u nullglob
	cp "${files[@]}" "$dest/"
	# Registry examples omit the terraform block; without it, the gitlab_*
	# types would resolve to hashicorp/gitlab.
	if ! cat "$dest"/*.tf 2>/dev/null | grep -q required_providers; then
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
	if ! out=$(cd "$dest" && tf validate -query -no-color 2>&1); then
		# Without the warning every command gives under dev_overrides.
		echo "$out" | awk '/Provider development overrides are in effect/ { skip = 1 }
			!skip { print "  " $0 }
			skip && /releases\.$/ { skip = 0 }' >&2
		echo "error: $dir does not validate against the provider schema" >&2
		status=1
	fi
done < <(find examples \( -name '*.tf' -o -name '*.tfquery.hcl' \) -exec dirname {} \; | sort -u)

if [[ $status -eq 0 ]]; then
	echo "docs/ is up to date; examples are formatted and valid"
fi
exit $status
