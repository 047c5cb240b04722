"""The request wizard: service → questions → identity → each document → review → receipt."""
