"""The display board (TV): counters, the latest call, last calls, clock, notice."""
