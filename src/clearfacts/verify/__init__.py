"""Read built files back with independent readers and prove they carry the registered facts."""
