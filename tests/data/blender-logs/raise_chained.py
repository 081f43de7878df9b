# Fails while handling another failure, for recording a chained Python traceback.
settings = {}
try:
    samples = settings["samples"]
except KeyError:
    raise RuntimeError("render settings have no sample count")
