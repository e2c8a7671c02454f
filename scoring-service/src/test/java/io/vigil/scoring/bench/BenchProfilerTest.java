package io.vigil.scoring.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BenchProfilerTest {

    @Test
    void foldsThreadsOfOneKindIntoOneLine() {
        assertEquals("C2 CompilerThread#", BenchProfiler.threadKind("[C2 CompilerThread1 tid=4242]"));
        assertEquals("vert.x-eventloop-thread-#", BenchProfiler.threadKind("[vert.x-eventloop-thread-1 tid=77]"));
        assertEquals("GC Thread##", BenchProfiler.threadKind("[GC Thread#0 tid=12]"));
        assertEquals("main", BenchProfiler.threadKind("[main]"));
    }
}
