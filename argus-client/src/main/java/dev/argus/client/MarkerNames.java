package dev.argus.client;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Flattens a framework's marker graph into names: each marker, then those it references. */
public final class MarkerNames {

  /** References deeper than this are ignored (markers may form cycles). */
  private static final int MAX_DEPTH = 8;

  private MarkerNames() {}

  /** Names of {@code roots} and their references, depth first, each name once. */
  public static <M> List<String> of(Iterator<? extends M> roots, Function<M, String> name,
      Function<M, Iterator<? extends M>> references) {
    Set<String> names = new LinkedHashSet<>();
    while (roots.hasNext()) {
      add(roots.next(), name, references, names, 0);
    }
    return new ArrayList<>(names);
  }

  private static <M> void add(M m, Function<M, String> name,
      Function<M, Iterator<? extends M>> references, Set<String> names, int depth) {
    if (m == null || depth > MAX_DEPTH || !names.add(name.apply(m))) {
      return;
    }
    Iterator<? extends M> it = references.apply(m);
    while (it != null && it.hasNext()) {
      add(it.next(), name, references, names, depth + 1);
    }
  }
}
