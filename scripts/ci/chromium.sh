# Sourced by .ci/run: Debian's Chromium for the web UI's browser tests (tests/ui), installed when
# missing. Playwright for Python (the test extra) drives it through executable_path; its own
# browser download (`playwright install`) is never used. Without it under CI the tests fail.
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium for the browser tests (tests/ui)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
