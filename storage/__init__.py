"""aiosqlite storage: schema migrations, repositories, one transaction per state change."""
