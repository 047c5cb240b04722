"""The inbox: a lazy table model over the desk and the panel around it."""
