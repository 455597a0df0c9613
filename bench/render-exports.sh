#!/usr/bin/env bash
# LibreOffice render check of the exports (`npm run check:exports`); not part of `npm test`,
# because LibreOffice is a large install and slow to start.
#
# Makes sample files (bench/render-exports.ts), converts each workbook to PDF with
# `libreoffice --headless`, renders every PDF to PNG with pdftoppm, and checks what comes out:
# each workbook converts, each page renders, the Vietnamese headers keep their diacritics, the
# formula look-alikes print as the text they are, and the printable summary is one page.
# KEEP=1 keeps the files (the directory is printed). Exits 2 when a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

soffice=$(command -v libreoffice || command -v soffice || true)
if [ -z "$soffice" ]; then
  echo "LibreOffice is not installed: apt-get install -y --no-install-recommends libreoffice-calc" >&2
  exit 2
fi
for tool in pdftoppm pdftotext pdfinfo; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y poppler-utils" >&2; exit 2; }
done

dir=$(mktemp -d)
if [ "${KEEP:-}" = 1 ]; then echo "files kept in $dir"; else trap 'rm -rf "$dir"' EXIT; fi
fail() { echo "FAIL: $*" >&2; exit 1; }

started=$(date +%s)
EXPORTS_DIR="$dir" npx tsx bench/run.ts render-exports >/dev/null
for f in congress.xlsx meetings.xlsx directive.xlsx congress.pdf; do
  [ -s "$dir/$f" ] || fail "sample $f was not written"
done

echo "== LibreOffice: workbooks to PDF"
lo_started=$(date +%s)
"$soffice" --headless --norestore "-env:UserInstallation=file://$dir/profile" \
  --convert-to pdf --outdir "$dir/lo" "$dir"/congress.xlsx "$dir"/meetings.xlsx "$dir"/directive.xlsx >/dev/null 2>&1 \
  || fail "libreoffice --convert-to pdf failed"
lo_seconds=$(( $(date +%s) - lo_started ))

echo "== pdftoppm: every page to PNG"
for pdf in "$dir"/lo/congress.pdf "$dir"/lo/meetings.pdf "$dir"/lo/directive.pdf "$dir"/congress.pdf; do
  [ -s "$pdf" ] || fail "$(basename "$pdf") was not produced"
  case "$pdf" in */lo/*) name=libreoffice-$(basename "$pdf" .pdf) ;; *) name=bot-$(basename "$pdf" .pdf) ;; esac
  pdftoppm -r 40 -png "$pdf" "$dir/png-$name"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  pngs=$(find "$dir" -maxdepth 1 -name "png-$name-*.png" -size +1k | wc -l)
  [ "$pngs" -eq "$pages" ] || fail "$name: $pages pages but $pngs non-empty PNGs"
  echo "   $name: $pages page(s) rendered"
done

echo "== text of the rendered pages"
text() { pdftotext -enc UTF-8 "$1" - | tr -s '[:space:]' ' '; }
congress=$(text "$dir/lo/congress.pdf")
meetings=$(text "$dir/lo/meetings.pdf")
directive=$(text "$dir/lo/directive.pdf")
for want in 'BÁO CÁO TIẾN ĐỘ ĐẠI HỘI CHI BỘ' 'Tên chi bộ' 'Đảng bộ xã Số 1' 'Tổng số cấp ủy viên được bầu'; do
  grep -qF -- "$want" <<<"$congress" || fail "congress.xlsx: «$want» not printed"
done
# A live formula would print its result ("Bấm", 2, -2, 0); as text the whole string prints.
for want in '=HYPERLINK("http://evil.example","Bấm")' '+1+1' '@SUM(A1)' "=cmd|'/c calc'!A0"; do
  grep -qF -- "$want" <<<"$congress" || fail "congress.xlsx: «$want» not printed as text"
done
for want in 'SINH HOẠT CHI BỘ THÁNG 08/2025' 'Vắng không lý do' '-Lê Văn C' '@Học tập Nghị quyết'; do
  grep -qF -- "$want" <<<"$meetings" || fail "meetings.xlsx: «$want» not printed"
done
for want in 'Thời điểm xác nhận đã đọc' 'Không liên lạc được' '=HYPERLINK("http://evil.example","Bấm")'; do
  grep -qF -- "$want" <<<"$directive" || fail "directive.xlsx: «$want» not printed"
done
[ "$(pdfinfo "$dir/congress.pdf" | awk '/^Pages:/ {print $2}')" = 1 ] || fail "congress.pdf is not one page"
grep -qF 'đã tổ chức xong đại hội nhiệm kỳ 2025 – 2027' <<<"$(text "$dir/congress.pdf")" \
  || fail "congress.pdf: the paragraph is not there"

echo "OK: exports render in LibreOffice (conversion ${lo_seconds}s, total $(( $(date +%s) - started ))s)"
