#!/bin/sh
# Rebuilds contracts/font/NotoSansSC-GBK.ttf, the Chinese font embedded in every PDF we print.
#
# Source: the npm package @expo-google-fonts/noto-sans-sc (Noto Sans SC as TrueType with glyf outlines;
# gofpdf reads glyf TrueType only, not the CFF/OTF/TTC that Debian's fonts-noto-cjk ships). We take the
# Regular weight and cut it with fonttools' pyftsubset to the GBK repertoire plus ASCII, CJK and
# full-width punctuation, circled numbers and the few symbols our documents use.
#
# Needs: npm (to fetch the package), and fonttools (Debian: apt-get install python3-fonttools; the
# pyftsubset command itself is in the Debian package "fonttools", but the module is enough).
# Usage: sh contracts/font/build.sh            (from anywhere; writes next to this script)
set -eu

VERSION="${NOTO_SANS_SC_VERSION:-0.4.3}"
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/NotoSansSC-GBK.ttf"

# Debian's python3-fonttools installs the module for /usr/bin/python3; a pyenv or venv python3 on PATH
# may not see it, so try the system interpreter first.
PY=""
for p in /usr/bin/python3 python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import fontTools.subset' 2>/dev/null; then
		PY="$p"
		break
	fi
done
if [ -z "$PY" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "fonttools missing: installing python3-fonttools with apt-get" >&2
		apt-get update -qq && apt-get install -y -qq python3-fonttools >&2
		PY=/usr/bin/python3
	else
		echo "error: fonttools is not installed. Run: sudo apt-get install python3-fonttools" >&2
		echo "       (or: pip install fonttools==4.38.0) and re-run this script." >&2
		exit 1
	fi
fi
command -v npm >/dev/null 2>&1 || { echo "error: npm is needed to fetch the font (apt-get install npm)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT INT TERM

echo "fetching @expo-google-fonts/noto-sans-sc@$VERSION" >&2
(cd "$TMP" && npm pack --silent "@expo-google-fonts/noto-sans-sc@$VERSION" >/dev/null)
tar -xzf "$TMP"/expo-google-fonts-noto-sans-sc-"$VERSION".tgz -C "$TMP" \
	package/400Regular/NotoSansSC_400Regular.ttf package/LICENSE_FONT
SRC="$TMP/package/400Regular/NotoSansSC_400Regular.ttf"

# The character list: every character GBK encodes (as Python's gbk codec defines it, i.e. CP936 minus the
# euro sign), printable ASCII, and ranges of punctuation and symbols printed documents need. pyftsubset
# silently skips code points the font lacks.
"$PY" - "$SRC" "$TMP/unicodes.txt" <<'PYEOF'
import sys
from fontTools.ttLib import TTFont

src, out = sys.argv[1], sys.argv[2]
font = TTFont(src, lazy=True)
if "glyf" not in font or "CFF " in font:
    sys.exit("error: %s has no glyf outlines (gofpdf needs TrueType glyf)" % src)

cps = set(range(0x20, 0x7F))
for cp in range(0x80, 0x10000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    try:
        b = chr(cp).encode("gbk")
    except UnicodeEncodeError:
        continue
    if len(b) == 2:
        cps.add(cp)
extra = [
    (0x00A0, 0x00FF),  # Latin-1: ¥ · × ÷ °
    (0x2010, 0x206F),  # general punctuation: dashes, quotes, …, ‰
    (0x2100, 0x218F),  # letterlike and number forms: ℃ № Ⅰ-Ⅻ
    (0x2190, 0x21FF),  # arrows: → for "扫码 → 填手机号"
    (0x2460, 0x24FF),  # enclosed alphanumerics: ①-⑳ ⑴ ⒈
    (0x2500, 0x25FF),  # box drawing and geometric shapes: □ ■ ○ ●
    (0x2600, 0x26FF),  # misc symbols: ☐ ☑ ★ ☆
    (0x2700, 0x27BF),  # dingbats: ✓ ✔
    (0x3000, 0x303F),  # CJK punctuation: 、。「」【】〓
    (0x3200, 0x32FF),  # enclosed CJK: ㈠ ㊣
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms: ，：（）１２３
]
for lo, hi in extra:
    cps.update(range(lo, hi + 1))
cmap = font.getBestCmap()
have = sorted(cp for cp in cps if cp in cmap)
with open(out, "w") as f:
    f.write("\n".join("U+%04X" % cp for cp in have))
print("subsetting to %d characters" % len(have), file=sys.stderr)
PYEOF

# Layout tables (GSUB/GPOS/...), hinting and vertical metrics are dropped: gofpdf neither shapes nor
# hints nor sets vertical text, and they would only make every process load more bytes. The name table
# is kept whole so the PDF names the font properly and the licence notice travels with it.
"$PY" -m fontTools.subset "$SRC" \
	--unicodes-file="$TMP/unicodes.txt" \
	--output-file="$TMP/out.ttf" \
	--layout-features='' --no-layout-closure \
	--drop-tables+=GSUB,GPOS,GDEF,BASE,STAT,vhea,vmtx,DSIG \
	--no-hinting --name-IDs='*' --name-languages='*' --notdef-outline \
	--recalc-bounds --no-recalc-timestamp

"$PY" - "$TMP/out.ttf" <<'PYEOF'
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
assert "glyf" in f, "subset lost its glyf table"
cmap = f.getBestCmap()
for ch in "零工用工协议甲乙丙元０123ABCxyz，。①⑩〓→□":
    assert ord(ch) in cmap, "subset lacks %r" % ch
print("ok: %d glyphs, %d characters" % (len(f.getGlyphOrder()), len(cmap)), file=sys.stderr)
PYEOF

mv "$TMP/out.ttf" "$OUT"
cp "$TMP/package/LICENSE_FONT" "$HERE/OFL.txt"
ls -l "$OUT" >&2
if command -v sha256sum >/dev/null 2>&1; then sha256sum "$OUT" >&2; fi
