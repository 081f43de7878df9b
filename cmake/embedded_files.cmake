# One line per text file compiled into the binary: path, symbol, namespace.
spotfarm_embed(src/blender/driver.py k_driver_py spotfarm::blender)
