# Sourced by .ci/run: PostgreSQL 15 for the PostgreSQL store's tests (issue 13).
# Installs the Debian package when no initdb is found; the tests start their own throwaway
# server (tests/postgres_server.py, as the postgres user when run as root). With
# EVENT_REGISTRY_PG_REQUIRED=1 a missing server fails those tests instead of skipping them.
pg_bindir() {
  { command -v pg_config >/dev/null 2>&1 && pg_config --bindir; ls -d /usr/lib/postgresql/*/bin 2>/dev/null; } |
    while read -r dir; do [ -x "$dir/initdb" ] && { echo "$dir"; break; }; done
}
if [ -z "$(pg_bindir)" ]; then
  echo "scripts/ci/postgres.sh: installing postgresql-15" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null ||
    echo "scripts/ci/postgres.sh: postgresql-15 could not be installed; its tests will fail" >&2
fi
echo "scripts/ci/postgres.sh: PostgreSQL binaries in $(pg_bindir)" >&2
export EVENT_REGISTRY_PG_REQUIRED=1
