#!/usr/bin/env bash
# `make run` in one command on a fresh Debian 12 machine, without one.  Prints TAP.
#
#   tests/setup/fresh-machine.sh
#
# It clones the repository's committed HEAD (`git clone`, so uncommitted
# changes in the work tree are NOT tested and nothing from its build/ is
# reused) into a temporary directory, and runs `make -j2 run` there with
# shims first on PATH that play a machine where no package is installed yet:
#
#   apt-get      records its arguments and exits 0; after `apt-get install`
#                the machine counts as "installed".  It never installs anything.
#   pkg-config   before that, knows no package (exit 1, as the real one does
#                for an unknown package); after, runs /usr/bin/pkg-config.
#   dpkg-query,  before that, report every package as not installed; after,
#   dpkg         run the real ones.
#   sudo         runs the command as is (so a non-root run reaches the shims
#                too, never the real apt-get).
#
# The packages must really be installed on this machine: "after install" the
# shims hand over to the real tools.  The served page must then answer
# http://127.0.0.1:PORT/ with 200 and kyodo's HTML; the server is stopped
# with SIGTERM.  Then, still in the clone: plain `make` has nothing to
# rebuild, and with the packages "uninstalled" again `make clean` asks
# pkg-config nothing and `make build/kyodo` stops with an error naming them.
#
# For development only, FRESH_MACHINE_OVERLAY="Makefile scripts/deps" copies
# those paths from the work tree over the clone (said in the TAP output);
# without it, the test is about what is committed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# Not this make's variables or jobserver, should we be run from one.
unset MAKEFLAGS MFLAGS MAKELEVEL BUILD SAN KYODO_BIN KYODO_DB KYODO_LISTEN KYODO_FILES

limit=${FRESH_MACHINE_TIMEOUT:-480} # seconds for clone + build + first page
n=0
failures=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }
check() { # description command...: ok when the command succeeds
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

tmp=$(mktemp -d /tmp/kyodo-fresh.XXXXXX)
pgid=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	stop_server
	rm -rf "$tmp"
}
stop_server() { # SIGTERM to the process group of `make run` (make, kyodo)
	[[ -n $pgid ]] || return 0
	if kill -0 -- "-$pgid" 2>/dev/null; then
		kill -TERM -- "-$pgid" 2>/dev/null
		for _ in $(seq 1 50); do
			kill -0 -- "-$pgid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL -- "-$pgid" 2>/dev/null
	fi
	wait "$pgid" 2>/dev/null
	pgid=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "1..6"

# ---------------------------------------------------------------- clone
repo=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null) || repo=
src=$tmp/kyodo
if [[ -n $repo ]] && git clone -q "$repo" "$src" >"$tmp/clone.log" 2>&1; then
	ok "clean clone of $repo at $(git -C "$src" rev-parse --short HEAD)"
else
	not_ok "clean clone of the repository (git clone of ${repo:-?})"
	diag <"$tmp/clone.log"
	exit 1
fi
for p in ${FRESH_MACHINE_OVERLAY:-}; do
	echo "# development overlay: $p copied from the work tree over the clone"
	mkdir -p "$src/$(dirname "$p")"
	cp -a "$repo/$p" "$src/$(dirname "$p")/"
done

# ---------------------------------------------------------------- shims
shims=$tmp/shims
state=$tmp/state # exists once apt-get "installed"
mkdir -p "$shims"
cat >"$shims/apt-get" <<SHIM
#!/bin/bash
echo "apt-get \$*" >>"$tmp/apt-get.log"
for a in "\$@"; do [[ \$a == install ]] && : >"$state"; done
exit 0
SHIM
# pkg-config, dpkg-query and dpkg: one script, by the name it is called by.
{
	printf '#!/bin/bash\nstate=%q\nlog=%q\n' "$state" "$tmp/shims.log"
	cat <<'SHIM'
# As on a machine where nothing is installed, until apt-get "installed".
tool=${0##*/}
[[ -e $state ]] && exec "/usr/bin/$tool" "$@"
echo "$tool $*" >>"$log"
case $tool in
pkg-config)
	case " $* " in
	*" --version "*) exec /usr/bin/pkg-config "$@" ;;
	*" --exists "*) exit 1 ;;
	esac
	msg='Package %s was not found in the pkg-config search path.' ;;
dpkg-query) msg='dpkg-query: no packages found matching %s' ;;
dpkg)
	case ${1:-} in
	-s | --status | -l | --list | -L | --listfiles) shift ;;
	*) exec /usr/bin/dpkg "$@" ;; # --print-architecture and the like
	esac
	msg="dpkg-query: package '%s' is not installed and no information is available" ;;
esac
for a in "$@"; do
	# shellcheck disable=SC2059 # msg is the format
	[[ $a == -* ]] || printf "$msg\n" "$a" >&2
done
exit 1
SHIM
} >"$shims/not-installed"
for t in pkg-config dpkg-query dpkg; do ln -s not-installed "$shims/$t"; done
printf '#!/bin/bash\nexec "$@"\n' >"$shims/sudo"
chmod +x "$shims"/*
export PATH=$shims:$PATH

# ---------------------------------------------------------------- make run
free_port() { # a loopback port nobody answers on
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
port=$(free_port) || port=18080
url=http://127.0.0.1:$port/
start=$SECONDS
# A process group of its own (setsid), so that stopping it stops make,
# scripts/run and kyodo, and nothing else.
(cd "$src" && KYODO_LISTEN=127.0.0.1:$port KYODO_DB=$tmp/var/kyodo.db \
	KYODO_FILES=$tmp/var/files exec setsid make -j2 run) >"$tmp/make.log" 2>&1 </dev/null &
pgid=$!

code=000
while ((SECONDS - start < limit)); do
	code=$(curl -s -o "$tmp/page.html" -w '%{http_code}' --max-time 5 "$url" 2>/dev/null) || code=000
	[[ $code == 200 ]] && break
	kill -0 "$pgid" 2>/dev/null || break # make run gave up
	sleep 1
done
took=$((SECONDS - start))
served=0
if [[ $code == 200 ]] && grep -q '<html lang="ja">' "$tmp/page.html" &&
	grep -q '/static/kyodo.css' "$tmp/page.html"; then
	served=1
	ok "make run on a fresh machine serves kyodo's page at $url (${took} s)"
else
	not_ok "make run on a fresh machine serves kyodo's page at $url (HTTP $code after ${took} s)"
	{
		grep -E ': (fatal )?error:|\*\*\*' "$tmp/make.log" | awk '!seen[$0]++' | head -n 10
		echo "--- last lines of make run's output:"
		tail -n 30 "$tmp/make.log"
	} | diag
fi
stop_server
echo "# pkg-config was asked $(grep -c '^pkg-config ' "$tmp/shims.log" 2>/dev/null) time(s) before apt-get \"installed\""

if grep -q '^apt-get .*install' "$tmp/apt-get.log" 2>/dev/null; then
	ok "scripts/deps asked apt-get (the shim) to install the missing packages"
else
	not_ok "scripts/deps asked apt-get (the shim) to install the missing packages"
	[[ -f $tmp/apt-get.log ]] && diag <"$tmp/apt-get.log"
fi

# ---------------------------------------------------------------- after
# What `make run` built is what plain `make` (packages present) expects.
kyodo=$src/build/kyodo
if ((served)); then
	before=$(stat -c %Y.%s "$kyodo")
	if make -C "$src" build/kyodo >"$tmp/plain.log" 2>&1 && [[ $(stat -c %Y.%s "$kyodo") == "$before" ]]; then
		ok "plain make in the clone then has nothing to rebuild"
	else
		not_ok "plain make in the clone then has nothing to rebuild"
		tail -n 10 "$tmp/plain.log" | diag
	fi
else
	not_ok "plain make in the clone then has nothing to rebuild (not checked: make run failed)"
fi

# Back to "nothing installed".
rm -f "$state"
: >"$tmp/shims.log"
if make -C "$src" clean >"$tmp/clean.log" 2>&1 && [[ ! -e $src/build ]] && ! grep -q '^pkg-config ' "$tmp/shims.log"; then
	ok "make clean works without the packages and asks pkg-config nothing"
else
	not_ok "make clean works without the packages and asks pkg-config nothing"
	cat "$tmp/clean.log" "$tmp/shims.log" | diag
fi
# Building must stop, naming the packages, before compiling anything.
make -C "$src" build/kyodo >"$tmp/missing.log" 2>&1
rc=$?
objs=$(find "$src/build" -name '*.o' 2>/dev/null | wc -l)
if ((rc != 0 && objs == 0)) && grep -q '\*\*\*.*libmicrohttpd' "$tmp/missing.log"; then
	ok "without the packages, make build/kyodo stops with an error naming them"
else
	not_ok "without the packages, make build/kyodo stops with an error naming them (exit $rc, $objs objects compiled)"
	grep -v '^make.*directory' "$tmp/missing.log" | tail -n 10 | cut -c1-300 | diag
fi

((failures == 0))
