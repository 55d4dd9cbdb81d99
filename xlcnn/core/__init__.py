"""The numeric core (numpy only, no files): exact convolutions, Exercise 1 and its worked answers."""
