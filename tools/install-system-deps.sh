#!/bin/sh
# Debian packages contractgen needs at run time (WeasyPrint's Pango/HarfBuzz stack):
#   libpango-1.0-0 libpangoft2-1.0-0  text layout
#   fontconfig                        font configuration used by Pango
# and poppler-utils (pdftoppm, pdftotext, pdffonts) to look at the PDFs; the tests
# draw every PDF with it beside MuPDF and PDFium (both from pip wheels).
# Not needed: libharfbuzz-subset0. contractgen subsets the embedded fonts itself
# with the uharfbuzz wheel, so a PDF has the same bytes with or without it.
set -eu
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 fontconfig poppler-utils"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
if dpkg -s $PACKAGES >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
