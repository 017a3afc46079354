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
for tool in git go jq unzip sha256sum; do
	command -v "$tool" >/dev/null || fail "needs $tool on PATH"
done

# GoReleaser takes the release's repository (and, for a snapshot, the
# commit) from the git remote, which a local repository that was never
# pushed anywhere may lack: it then runs as if its origin
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
	problem "$config does not set project_name: $project (without it, the names come from the clone's remote or directory)"
fi
# The manifest is not in dist/: the release uploads it from the repository
# (release.extra_files), and checksum.extra_files gives it its line in the
# checksums file; both must name it alike.
manifest_names=$(awk -v glob="$manifest" '
	$0 ~ "- glob: \"?" glob "\"?$" { want = 1; next }
	want && /name_template:/ { sub(/^[^:]*: */, ""); print }
	{ want = 0 }
' "$config")
if [[ $(grep -c . <<<"$manifest_names") -ne 2 || $(sort -u <<<"$manifest_names" | wc -l) -ne 1 ]]; then
	problem "$config must give $manifest one name_template in release.extra_files (the upload) and checksum.extra_files (its checksum line); it gives [$(paste -sd';' <<<"$manifest_names")]"
fi

# What a release would upload: the archives and the checksums file from
# dist/, and the manifest under the name its checksum line gives it. Whatever
# their names, each is looked into, so that every wrong name is reported at
# once.
shopt -s nullglob
zips=("$dist"/*.zip)
sums=("$dist"/*SHA256SUMS)
shopt -u nullglob
names() { # names FILE...: their base names, on one line
	local f
	for f in "$@"; do
		printf '%s ' "$(basename "$f")"
	done
}

want_zip="${project}_${version}_${goos}_${goarch}.zip"
want_binary="${project}_v${version}"
[[ "$goos" == windows ]] && want_binary+=.exe
if [[ ${#zips[@]} -ne 1 ]]; then
	problem "the archives are [$(names "${zips[@]}")], want one: $want_zip"
else
	zip=$(basename "${zips[0]}")
	[[ "$zip" == "$want_zip" ]] || problem "the archive is $zip, want $want_zip"
	entries=$(unzip -Z1 "${zips[0]}")
	grep -qxF "$want_binary" <<<"$entries" ||
		problem "$zip holds [$(tr '\n' ' ' <<<"$entries")], want the binary $want_binary at its root"
fi

want_sums="${project}_${version}_SHA256SUMS"
want_manifest="${project}_${version}_manifest.json"
if [[ ${#sums[@]} -ne 1 ]]; then
	problem "the checksums files are [$(names "${sums[@]}")], want one: $want_sums"
else
	sumfile=$(basename "${sums[0]}")
	[[ "$sumfile" == "$want_sums" ]] || problem "the checksums file is $sumfile, want $want_sums"
	manifest_sum=$(sha256sum "$manifest" | cut -d' ' -f1)
	covered=
	while read -r sum name; do # <sha256>  <name>
		case "$name" in
		*_manifest.json)
			covered=1
			[[ "$name" == "$want_manifest" ]] || problem "$sumfile names the manifest $name, want $want_manifest"
			[[ "$sum" == "$manifest_sum" ]] || problem "$sumfile gives $sum for $name, but $manifest hashes to $manifest_sum"
			;;
		*.zip)
			if [[ ! -f "$dist/$name" ]]; then
				problem "$sumfile names $name, which the release does not have"
			elif [[ "$sum" != "$(sha256sum "$dist/$name" | cut -d' ' -f1)" ]]; then
				problem "$sumfile gives $sum for $name, which does not match the file"
			fi
			;;
		*)
			problem "$sumfile names $name, which is neither an archive nor the manifest"
			;;
		esac
	done <"${sums[0]}"
	[[ -n "$covered" ]] || problem "$sumfile does not cover the manifest: it has no line for $want_manifest"
	for z in "${zips[@]}"; do
		z=$(basename "$z")
		grep -qF "  $z" "${sums[0]}" || problem "$sumfile has no line for $z"
	done
fi

if ! jq -e '.version == 1 and (.metadata.protocol_versions | index("6.0"))' "$manifest" >/dev/null; then
	problem "$manifest must be version 1 and list protocol 6.0 (the provider serves plugin protocol 6)"
fi

if [[ ${#problems[@]} -gt 0 ]]; then
	echo "release-check: the snapshot release $version is not one the Terraform Registry accepts:" >&2
	printf '  - %s\n' "${problems[@]}" >&2
	echo "  (dist/ held: $(cd "$dist" && ls | tr '\n' ' '))" >&2
	exit 1
fi
echo "release-check: $want_zip (holding ${project}_v${version}), $want_sums and $want_manifest carry the Registry's names; the checksums cover the archive and the manifest"
