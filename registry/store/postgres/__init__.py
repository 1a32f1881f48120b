"""The PostgreSQL store (psycopg 3 + psycopg_pool), for several replicas on one database.

``store.py`` implements SchemaStore and RepresentationClock, ``inspection.py`` the InspectionLog,
``audit.py`` the audit trail's SQL, ``migrations.py`` the versioned schema, ``connections.py``
the pool, the error mapping and the change token kept current by LISTEN/NOTIFY. Only this
package imports psycopg; it is installed with the ``postgres`` extra.
"""
