#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# The structure rules a compiler does not check (docs/design.md, "Folders"):
#   1. no file of the product over 600 lines, no function over 80;
#   2. every userspace file lives in a folder of user/, and a folder only includes the
#      folders below it in the pipeline (LAYERS below);
#   3. no two object files depend on each other in a loop (symbols, from nm), once built.
#
# usage: scripts/check-structure.sh [OUTPUT]   (OUTPUT: the build directory, default .output)
set -eu
cd "$(dirname "$0")/.."
out=${1:-.output}
fail=0

err() {
	echo "check-structure: $*" >&2
	fail=1
}

# folder: the folders it may include or call (besides itself). A new folder must be
# added here, which says where it sits in the pipeline.
LAYERS='
lib:
arch:
stats: lib arch
filter: lib
sink: stats lib
anomaly: sink stats lib
report: sink anomaly filter stats lib
metrics: sink anomaly stats lib
diff: lib
trace: lib
session: sink trace stats lib
cli: session sink report anomaly metrics filter diff trace stats lib arch
'

allowed() { # from to
	[ "$1" = "$2" ] && return 0
	deps=$(printf '%s\n' "$LAYERS" | awk -F: -v f="$1" '$1 == f { print $2 }')
	for d in $deps; do
		[ "$d" = "$2" ] && return 0
	done
	return 1
}

known() {
	printf '%s\n' "$LAYERS" | awk -F: -v f="$1" '$1 == f { found = 1 } END { exit !found }'
}

folder_of() { # user/<folder>/..., user/arch/<arch>/... -> folder
	echo "$1" | awk -F/ '{ print $2 }'
}

files=$(git ls-files 'user/*.c' 'user/*.h' 'bpf/*.c' 'bpf/*.h' 2>/dev/null || true)
[ -n "$files" ] || files=$(find user bpf -name '*.[ch]')

# 1. Sizes.
for f in $files; do
	n=$(wc -l <"$f")
	[ "$n" -le 600 ] || err "$f: $n lines (at most 600: split it by job)"
done
for f in $files; do
	case $f in *.c) ;; *) continue ;; esac
	awk -v file="$f" '
	/^[A-Za-z_].*\(/ { name = $0 }
	/^\{$/ { start = NR; fn = name }
	/^\}$/ && start {
		if (NR - start - 1 > 80) {
			sub(/\(.*/, "", fn)
			n = split(fn, w, /[ *]+/)
			printf "check-structure: %s: %s is %d lines (at most 80)\n", file, w[n], NR - start - 1
			bad = 1
		}
		start = 0
	}
	END { exit bad }' "$f" >&2 || fail=1
done

# 2. Folders and includes.
for f in $files; do
	case $f in
	user/*/*) ;;
	user/*) err "$f: userspace files live in a folder of user/ (see docs/design.md)" ;;
	*) continue ;;
	esac
	from=$(folder_of "$f")
	known "$from" || {
		err "$f: folder user/$from/ is not in the LAYERS of $0"
		continue
	}
	for inc in $(sed -n 's/^#include "\([a-z_0-9]*\)\/[^"]*".*/\1/p' "$f" | sort -u); do
		[ -d "user/$inc" ] || continue
		allowed "$from" "$inc" || err "$f: user/$from/ may not include user/$inc/"
	done
done

# 3. Loops between object files, from what each defines and uses.
if [ -d "$out/user" ] && command -v nm >/dev/null; then
	# Only the objects of current sources: a removed file may have left its object.
	objs=$(for f in $files; do
		case $f in user/*.c) [ -f "$out/${f%.c}.o" ] && echo "$out/${f%.c}.o" ;; esac
	done)
	for o in $objs; do
		nm -g --defined-only "$o" | awk -v o="$o" 'NF == 3 { print "D", $3, o }'
		nm -u "$o" | awk -v o="$o" '{ print "U", $NF, o }'
	done | awk '
	$1 == "D" { def[$2] = $3; next }
	{ use[++n] = $2; user[n] = $3 }
	END {
		for (i = 1; i <= n; i++) {
			d = def[use[i]]
			if (d != "" && d != user[i] && !((user[i], d) in edge)) {
				edge[user[i], d] = 1
				adj[user[i]] = adj[user[i]] " " d
				nodes[user[i]] = nodes[d] = 1
			}
		}
		for (v in nodes)
			if (!(v in state))
				visit(v, "")
		exit bad
	}
	function visit(v, path,    k, m, w, list) {
		state[v] = 1
		m = split(adj[v], list, " ")
		for (k = 1; k <= m; k++) {
			w = list[k]
			if (!(w in state)) {
				visit(w, path " " v)
			} else if (state[w] == 1) {
				printf "check-structure: loop: %s -> %s\n", path " " v, w > "/dev/stderr"
				bad = 1
			}
		}
		state[v] = 2
	}' || fail=1
	# Calls across folders follow the same layers as includes.
	calls=$(for o in $objs; do
		nm -g --defined-only "$o" | awk -v o="$o" 'NF == 3 { print "D", $3, o }'
		nm -u "$o" | awk -v o="$o" '{ print "U", $NF, o }'
	done | awk '
	$1 == "D" { def[$2] = $3; next }
	{ use[++n] = $2; user[n] = $3 }
	END {
		for (i = 1; i <= n; i++)
			if (def[use[i]] != "")
				print user[i], def[use[i]]
	}' | sort -u)
	bad=$(printf '%s\n' "$calls" | while read -r a b; do
		[ -n "$a" ] || continue
		fa=$(echo "${a#"$out"/}" | awk -F/ '{ print $2 }')
		fb=$(echo "${b#"$out"/}" | awk -F/ '{ print $2 }')
		allowed "$fa" "$fb" || echo "${a#"$out"/} calls into user/$fb/ (${b#"$out"/})"
	done)
	[ -z "$bad" ] || err "$bad"
fi

[ "$fail" -eq 0 ] || exit 1
echo "check-structure: ok"
