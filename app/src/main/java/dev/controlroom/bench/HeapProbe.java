package dev.controlroom.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples heap use while the engine runs, to report its peak. */
public final class HeapProbe {
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-heap-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile long peak;
    private volatile long peakLive;

    public void start() {
        sampler.scheduleAtFixedRate(() -> {
            long used = 0;
            long live = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    used += pool.getUsage().getUsed();
                    live += pool.getCollectionUsage() == null ? 0 : pool.getCollectionUsage().getUsed();
                }
            }
            peak = Math.max(peak, used);
            peakLive = Math.max(peakLive, live);
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        sampler.shutdownNow();
    }

    public long peakBytes() {
        return peak;
    }

    /** The most the heap held right after a collection: what is really kept, without the garbage not yet collected. */
    public long peakLiveBytes() {
        return peakLive;
    }
}
