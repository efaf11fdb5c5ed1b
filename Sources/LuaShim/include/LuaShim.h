int quarry_stub(void);
