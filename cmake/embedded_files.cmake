# One line per text file compiled into the binary: path, symbol, namespace, library.
spotfarm_embed(data/aws-prices.json k_aws_prices_json spotfarm::estimate spotfarm_estimate)
spotfarm_embed(src/blender/driver.py k_driver_py spotfarm::blender spotfarm_blender)
spotfarm_embed(src/blender/driver_dependencies.py k_driver_dependencies_py spotfarm::blender spotfarm_blender)
spotfarm_embed(src/blender/driver_remap.py k_driver_remap_py spotfarm::blender spotfarm_blender)
# The dashboard's static files (web/), served by the manager at /.
spotfarm_embed_folder(web k_web_files spotfarm::manager spotfarm_manager)
