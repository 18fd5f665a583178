"""aiogram routers: parse the update, call storage and scoring, render the answer."""
