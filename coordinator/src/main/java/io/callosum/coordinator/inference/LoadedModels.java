package io.callosum.coordinator.inference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Native models kept loaded for the next request, at most {@code capacity}, the least recently used closed first.
 * A caller uses a model only while holding its monitor, so that eviction never closes one in use.
 */
final class LoadedModels<K, V extends AutoCloseable> {
    private final int capacity;
    private final Map<K, V> loaded = new LinkedHashMap<>(16, 0.75f, true);

    LoadedModels(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one model must stay loaded, got capacity " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized V get(K key, Supplier<V> load) {
        V model = loaded.get(key);
        if (model != null) {
            return model;
        }
        model = load.get();
        loaded.put(key, model);
        if (loaded.size() > capacity) {
            Map.Entry<K, V> eldest = loaded.entrySet().iterator().next();
            loaded.remove(eldest.getKey());
            close(eldest.getValue());
        }
        return model;
    }

    synchronized void closeAll() {
        loaded.values().forEach(LoadedModels::close);
        loaded.clear();
    }

    private static void close(AutoCloseable model) {
        synchronized (model) {
            try {
                model.close();
            } catch (Exception e) {
                throw new IllegalStateException("a loaded model could not be closed", e);
            }
        }
    }
}
