/** Test support for running the real agent CLIs: their install, loopback mock model servers, their environments and a process runner. */
package dev.controlroom.testsupport;
