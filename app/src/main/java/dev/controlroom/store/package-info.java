/** The only user of jOOQ and SQL: the SQLite database, its migrations, and repositories with intention-named methods. */
package dev.controlroom.store;
