# npm packages and the web app build for ./run and ./test, each redone only when its inputs
# changed, so a fresh clone gets the app and an unchanged tree costs a few hashes.

# gotong_npm_ci DIR: `npm ci` in DIR when its package-lock.json differs from the last install.
gotong_npm_ci() {
  local dir=$1 want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1) || return 1
  [ "$(cat "$dir/node_modules/.gotong-lock-sha256" 2>/dev/null)" = "$want" ] && return 0
  echo "== npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) &&
    echo "$want" >"$dir/node_modules/.gotong-lock-sha256"
}

# The hash of everything the web app is built from: every file of web/ except the installed
# packages, the output and hidden folders (editor and tool caches).
gotong_web_inputs_hash() {
  (cd web && find . \( -path ./node_modules -o -path ./dist -o -name '.*' -o -name test-results \) -prune \
      -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

# gotong_web_build: installs web/'s packages if needed, then `npm run build` when its sources,
# lock file or configuration changed since the build in web/dist.
gotong_web_build() {
  [ -f web/package.json ] || return 0
  gotong_npm_ci web || return 1
  local want
  want=$(gotong_web_inputs_hash) || return 1
  [ "$(cat web/dist/.gotong-inputs-sha256 2>/dev/null)" = "$want" ] && return 0
  echo "== building the web app (npm run build in web/)"
  (cd web && npm run build --silent) && echo "$want" >web/dist/.gotong-inputs-sha256
}
