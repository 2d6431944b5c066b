package org.wardline.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One benchmark's figures (in the order they were added) and the targets, met or not. */
public final class BenchResult {
    private final String name;
    private final String setup;
    private final List<Figure> figures = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();

    /** {@code key} is the JSON name; {@code label} and {@code unit} are for the table. */
    public record Figure(String key, String label, double value, String unit) {
    }

    public record Target(String description, boolean met, String measured) {
    }

    public BenchResult(String name, String setup) {
        this.name = name;
        this.setup = setup;
    }

    public BenchResult figure(String key, String label, double value, String unit) {
        figures.add(new Figure(key, label, value, unit));
        return this;
    }

    public BenchResult target(String description, boolean met, String measured) {
        targets.add(new Target(description, met, measured));
        return this;
    }

    public String name() {
        return name;
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    public List<Target> targets() {
        return List.copyOf(targets);
    }

    /** The figure named {@code key}; fails when there is none (a typo in a caller, not a measurement). */
    public double value(String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no figure " + key + " in " + name)).value();
    }

    public JsonObject toJson() {
        JsonObject values = new JsonObject();
        JsonObject units = new JsonObject();
        for (Figure f : figures) {
            values.put(f.key(), f.value());
            units.put(f.key(), f.unit());
        }
        JsonArray t = new JsonArray();
        for (Target target : targets) {
            t.add(new JsonObject().put("target", target.description()).put("met", target.met()).put("measured", target.measured()));
        }
        return new JsonObject().put("bench", name).put("setup", setup).put("figures", values).put("units", units).put("targets", t);
    }

    public void printTable(PrintStream out) {
        out.println("== " + name + " ==  " + setup);
        int width = figures.stream().mapToInt(f -> f.label().length()).max().orElse(10);
        for (Figure f : figures) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %14s %s%n", f.label(), format(f.value()), f.unit());
        }
        for (Target target : targets) {
            out.printf(Locale.ROOT, "  target: %s  %s (%s)%n", target.description(), target.met() ? "MET" : "NOT MET", target.measured());
        }
        out.println();
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
