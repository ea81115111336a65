#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The README's pictures, made again from the real thing (as root; chromium and tmux from
# scripts/install-deps.sh --test):
#   docs/html-report.png  the page of --format html for a run whose sleeps slow down and
#                         recover, with --anomaly, rendered by headless Chromium
#   docs/top.png          sysray top -a at 80x24 in tmux, its screen (with attributes)
#                         drawn as HTML and rendered the same way
# usage: scripts/doc-screenshots.sh
set -eu
cd "$(dirname "$0")/.."
make -s sysray .output/workloads/phases
tmp=$(mktemp -d)
sock=sysray-doc-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT

chrome() {
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$tmp/profile" "$@" 2>/dev/null
}

./sysray --anomaly -P --format html -o "$tmp/report.html" -- .output/workloads/phases \
	sleep:1000:15 sleep:20000:6 sleep:1000:6 open:fail:3 >/dev/null 2>"$tmp/sysray.err"
chrome --window-size=1200,1900 --screenshot=docs/html-report.png "file://$tmp/report.html"

tmux -L "$sock" new-session -d -x 80 -y 24 "./sysray top -a"
sleep 4
tmux -L "$sock" capture-pane -e -p -N >"$tmp/top.ans"
tmux -L "$sock" send-keys q
# SGR bold (1) and reverse (7) to spans; everything else is text.
awk 'BEGIN {
	print "<!DOCTYPE html><meta charset=utf-8><style>body{margin:0;background:#1e1e1e}" \
	      "pre{margin:0;padding:8px;font:15px/1.25 \"DejaVu Sans Mono\",monospace;color:#d4d4d4}" \
	      ".b{font-weight:bold}.r{background:#d4d4d4;color:#1e1e1e}</style><pre>"
	esc = sprintf("%c", 27)
}
function html(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	return s
}
function put(s) {
	if (s == "") return
	cls = (bold ? "b " : "") (rev ? "r" : "")
	printf "%s", cls == "" ? html(s) : "<span class=\"" cls "\">" html(s) "</span>"
}
{
	line = $0
	while ((i = index(line, esc "[")) > 0) {
		put(substr(line, 1, i - 1))
		line = substr(line, i + 2)
		j = index(line, "m")
		n = split(substr(line, 1, j - 1), p, ";")
		for (k = 1; k <= n; k++) {
			if (p[k] == "" || p[k] == 0) { bold = 0; rev = 0 }
			else if (p[k] == 1) bold = 1
			else if (p[k] == 22) bold = 0
			else if (p[k] == 7) rev = 1
			else if (p[k] == 27) rev = 0
		}
		line = substr(line, j + 1)
	}
	put(line)
	printf "\n"
}
END { print "</pre>" }' "$tmp/top.ans" >"$tmp/top.html"
chrome --window-size=740,468 --screenshot=docs/top.png "file://$tmp/top.html"
echo "docs/html-report.png docs/top.png"
