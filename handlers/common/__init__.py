"""What every feature shares: callback data, keyboards, formatting, workbooks, commands."""
