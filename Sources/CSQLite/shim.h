// The system's SQLite (libsqlite3-dev on Debian and Ubuntu; part of macOS), nothing vendored.
#include <sqlite3.h>
