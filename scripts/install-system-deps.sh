#!/usr/bin/env bash
# Debian packages areaplan's readers and tests use. Safe to run again.
#   dovecot-imapd       real IMAP server the tests start on 127.0.0.1
#   isync               mbsync, the baseline in bench/bench_poll.py
#   catdoc antiword     legacy .doc readers
#   tesseract-ocr(-tha,-osd) OCR of scanned and photographed forms; osd turns sideways pages
#   poppler-utils       pdftoppm (docs screenshots), pdftotext (benchmarks)
#   libreoffice-writer-nogui fonts-thai-tlwg  DOCX -> PDF for generated fixtures
#   chromium            renders the HTML digest in tests
#   libarchive13        RAR and 7-Zip archive attachments (through the PyPI package libarchive-c)
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  dovecot-imapd isync catdoc antiword tesseract-ocr tesseract-ocr-tha tesseract-ocr-osd \
  poppler-utils libreoffice-writer-nogui fonts-thai-tlwg chromium openssl libarchive13 \
  >/dev/null
# Debian starts a system-wide dovecot on install; the tests run their own.
( systemctl stop dovecot 2>/dev/null || service dovecot stop 2>/dev/null || true ) >/dev/null 2>&1
