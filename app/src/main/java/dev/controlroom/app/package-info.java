/** The composition root: opens the database, seeds a first start, creates and owns every thread. */
package dev.controlroom.app;
