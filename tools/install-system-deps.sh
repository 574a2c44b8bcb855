#!/bin/sh
# Debian packages contractgen needs at run time (WeasyPrint's Pango/HarfBuzz stack):
#   libpango-1.0-0 libpangoft2-1.0-0  text layout
#   libharfbuzz-subset0               fast font subsetting (without it WeasyPrint falls
#                                     back to fontTools: ~20x slower PDFs, and
#                                     contractgen emits a RuntimeWarning)
#   fontconfig                        font configuration used by Pango
# and poppler-utils (pdftoppm, pdffonts) to look at the PDFs.
set -eu
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig poppler-utils"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
if dpkg -s $PACKAGES >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
