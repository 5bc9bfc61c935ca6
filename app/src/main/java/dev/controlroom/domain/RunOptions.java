package dev.controlroom.domain;

/** How a run is started: its concurrency cap, wave mode, and which door started it. */
public record RunOptions(int concurrency, WaveMode waveMode, String startedBy) {
    public RunOptions {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
    }
}
