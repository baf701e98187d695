"""gunicorn settings for the Recipes container.

The values come from `recipes.serving`, the same ones `recipes serve` uses. Override
them with RECIPES_BIND, RECIPES_WORKERS, RECIPES_THREADS and RECIPES_TIMEOUT, or put
your own gunicorn.conf.py in /config: the entrypoint then uses it instead of this file.
"""

from recipes.serving import gunicorn_options

_options = gunicorn_options()

bind = _options["bind"]
workers = _options["workers"]
threads = _options["threads"]
timeout = _options["timeout"]
graceful_timeout = _options["graceful_timeout"]
preload_app = _options["preload_app"]
worker_tmp_dir = _options["worker_tmp_dir"]
control_socket_disable = _options["control_socket_disable"]
accesslog = _options["accesslog"]
errorlog = _options["errorlog"]
logger_class = _options["logger_class"]
logconfig_dict = _options["logconfig_dict"]
