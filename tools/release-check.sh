#!/usr/bin/env bash
# Checks that .goreleaser.yml builds a release the Terraform Registry (and
# OpenTofu's) accepts, without signing or publishing anything.
#
#   tools/release-check.sh GORELEASER    (what `make release-check` runs)
#
# 1. `goreleaser check`: the configuration is valid for that GoReleaser.
# 2. A snapshot release (--snapshot --skip=sign,publish) of one target, the
#    machine's own, into a scratch directory; dist/ of the tree is untouched.
#    `goreleaser release` has no --single-target, so the build runs from a copy
#    of the configuration that adds only `targets` to the build and `dist`.
# 3. The names the Registry requires, with VERSION the snapshot's version:
#      terraform-provider-gitlab_VERSION_OS_ARCH.zip    one per target, holding
#      terraform-provider-gitlab_vVERSION               the binary (.exe on Windows)
#      terraform-provider-gitlab_VERSION_SHA256SUMS     covering every zip and
#      terraform-provider-gitlab_VERSION_manifest.json  terraform-registry-manifest.json
#    The checksums are checked against the files they name.
# The names must not depend on where the repository was cloned: without
# project_name, GoReleaser names the artifacts after the clone's remote or
# directory.
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 /path/to/goreleaser" >&2
	exit 2
fi
goreleaser=$1
if [[ "$goreleaser" == */* && "$goreleaser" != /* ]]; then
	goreleaser="$PWD/$goreleaser"
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

project=terraform-provider-gitlab
config=.goreleaser.yml
manifest=terraform-registry-manifest.json

work=$(mktemp -d "${TMPDIR:-/tmp}/gitlab-provider-release.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() {
	echo "release-check: $*" >&2
	exit 1
}

# GoReleaser takes the release's repository (and, for a snapshot, the
# commit) from the git remote, which a local checkout (a worktree of a
# repository that was never pushed) may lack: it then runs as if its origin
# were the module's repository.
origin=
if ! git ls-remote --get-url >/dev/null 2>&1; then
	origin="https://$(go list -m).git"
	echo "release-check: no git remote here; GoReleaser runs as if origin were $origin"
fi
gr() {
	if [[ -n "$origin" ]]; then
		GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url GIT_CONFIG_VALUE_0="$origin" "$goreleaser" "$@"
	else
		"$goreleaser" "$@"
	fi
}

gr check "$config"

# The configuration as it is, with the build limited to this machine's target
# (the first key of the first build becomes `targets`) and dist in $work.
goos=$(go env GOOS)
goarch=$(go env GOARCH)
if grep -q '^dist:' "$config"; then
	fail "$config sets dist; this check builds into a scratch directory and cannot override it"
fi
awk -v target="${goos}_${goarch}" -v dist="$work/dist" '
	/^builds:/ { in_builds = 1 }
	in_builds && !done && /^  - / {
		print "  - targets: [" target "]"
		sub(/^  - /, "    ")
		done = 1
	}
	{ print }
	END { print "dist: " dist }
' "$config" >"$work/goreleaser.yml"
if ! grep -q "^  - targets: \[${goos}_${goarch}\]\$" "$work/goreleaser.yml"; then
	fail "found no build in $config to limit to ${goos}_${goarch} (expected \"builds:\" and an item \"  - ...\")"
fi

if ! gr release --config "$work/goreleaser.yml" --snapshot --clean --skip=sign,publish \
	>"$work/release.log" 2>&1; then
	cat "$work/release.log" >&2
	fail "goreleaser release --snapshot failed"
fi

dist=$work/dist
version=$(jq -r .version "$dist/metadata.json")
if [[ -z "$version" || "$version" == null ]]; then
	fail "no version in $dist/metadata.json"
fi

problems=()
problem() { problems+=("$*"); }

# Where the clone's remote or directory is named after the project, the
# names below come out right without it; it must be set all the same.
if ! grep -qE "^project_name: \"?${project}\"?\$" "$config"; then
	problem "$config does not set project_name: $project"
fi

# Every file in dist/ that a release would upload, with the name it has there.
shopt -s nullglob
zips=("$dist"/*.zip)
sums=("$dist"/*SHA256SUMS)
shopt -u nullglob

want_zip="${project}_${version}_${goos}_${goarch}.zip"
zip_names=()
for z in "${zips[@]}"; do
	zip_names+=("$(basename "$z")")
done
if [[ ${#zips[@]} -ne 1 || "${zip_names[0]}" != "$want_zip" ]]; then
	problem "archives are [${zip_names[*]}], want [$want_zip]"
else
	binary="${project}_v${version}"
	[[ "$goos" == windows ]] && binary+=.exe
	if ! unzip -Z1 "${zips[0]}" | grep -qxF "$binary"; then
		problem "$want_zip holds [$(unzip -Z1 "${zips[0]}" | tr '\n' ' ')], want the binary $binary at its root"
	fi
fi

want_sums="${project}_${version}_SHA256SUMS"
want_manifest="${project}_${version}_manifest.json"
sum_names=()
for s in "${sums[@]}"; do
	sum_names+=("$(basename "$s")")
done
if [[ ${#sums[@]} -ne 1 || "${sum_names[0]}" != "$want_sums" ]]; then
	problem "checksums files are [${sum_names[*]}], want [$want_sums]"
else
	# Each line: <sha256>  <name>. The zips are in dist/; the manifest is
	# uploaded from the repository under its release name.
	manifest_sum=$(sha256sum "$manifest" | cut -d' ' -f1)
	covered=
	while read -r sum name; do
		case "$name" in
		"$want_manifest")
			covered=1
			[[ "$sum" == "$manifest_sum" ]] || problem "$want_sums gives $sum for $name, but $manifest hashes to $manifest_sum"
			;;
		*.zip)
			if [[ ! -f "$dist/$name" ]]; then
				problem "$want_sums names $name, which the release does not have"
			elif [[ "$sum" != "$(sha256sum "$dist/$name" | cut -d' ' -f1)" ]]; then
				problem "$want_sums gives $sum for $name, which does not match the file"
			fi
			;;
		*)
			problem "$want_sums names $name, which is neither an archive nor $want_manifest"
			;;
		esac
	done <"${sums[0]}"
	[[ -n "$covered" ]] || problem "$want_sums does not cover the manifest: it has no line for $want_manifest"
	for z in "${zip_names[@]}"; do
		grep -qE "^[0-9a-f]{64}  ${z//./\\.}\$" "${sums[0]}" || problem "$want_sums has no line for $z"
	done
fi

if ! jq -e '.version == 1 and (.metadata.protocol_versions | index("6.0"))' "$manifest" >/dev/null; then
	problem "$manifest must be version 1 and list protocol 6.0 (the provider serves plugin protocol 6)"
fi

if [[ ${#problems[@]} -gt 0 ]]; then
	echo "release-check: the snapshot release of $version has names the Terraform Registry rejects:" >&2
	printf '  - %s\n' "${problems[@]}" >&2
	echo "  dist/ had: $(cd "$dist" && ls | tr '\n' ' ')" >&2
	echo "  .goreleaser.yml must set project_name: $project; the names must not depend on the clone's directory or remote." >&2
	exit 1
fi
echo "release-check: $want_zip (holding ${project}_v${version}), $want_sums and $want_manifest carry the Registry's names; the checksums cover the archive and the manifest"
