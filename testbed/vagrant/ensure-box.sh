#!/bin/bash
# Makes sure $PLAY_VAGRANT_CACHE/play-debian12.box exists and was built by the current recipe
# (build-box.sh + box-Vagrantfile.rb). Rebuilds only when missing or the recipe hash changed.
# CI may keep the cache directory between runs. Prints "box: cached|built <path> <hash>".
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
CACHE=${PLAY_VAGRANT_CACHE:-/var/cache/play-vagrant}
BOX=$CACHE/play-debian12.box
HASH=$(cat "$HERE/build-box.sh" "$HERE/box-Vagrantfile.rb" | sha256sum | cut -c1-16)
mkdir -p "$CACHE"; chmod 755 "$CACHE"
exec 9>"$CACHE/.build.lock"; flock 9          # one builder at a time
if [ -s "$BOX" ] && [ "$(cat "$CACHE/recipe.sha256" 2>/dev/null)" = "$HASH" ]; then
  echo "box: cached $BOX $HASH"; exit 0
fi
rm -f "$CACHE/recipe.sha256" "$BOX"
rm -rf "$CACHE/build"
OUT=$CACHE/build "$HERE/build-box.sh"
mv "$CACHE/build/play-debian12.box" "$BOX"
rm -rf "$CACHE/build"                         # rootfs (~700 MB) is not needed once the box exists
echo "$HASH" > "$CACHE/recipe.sha256"
echo "box: built $BOX $HASH"
