int quarry_stub(void) { return 0; }
