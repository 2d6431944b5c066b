package org.wardline.bench;

import java.util.Arrays;

/** Medians and the like over a handful of runs. */
public final class Stats {
    private Stats() {
    }

    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
