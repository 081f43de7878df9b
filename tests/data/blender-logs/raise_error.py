# A script that fails the way add-ons and driver scripts do, for recording a Python traceback.
def load_settings(path):
    raise ValueError(f"bad render settings in {path}")


load_settings("settings.json")
