// Shared helpers for Quarry tests.
