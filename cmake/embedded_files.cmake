# One line per text file compiled into the binary: path, symbol, namespace.
spotfarm_embed(data/aws-prices.json k_aws_prices_json spotfarm::core)
spotfarm_embed(src/blender/driver.py k_driver_py spotfarm::blender)
