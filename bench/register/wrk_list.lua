-- wrk script: filtered seizure lists.  KOUPREY_PATHS holds one or more
-- request paths separated by spaces; each connection takes them in turn, so
-- a run with several paths is an even mix.  The API token is in KOUPREY_TOKEN.

local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("offset", counter)
end

function init(args)
	paths = {}
	for p in string.gmatch(os.getenv("KOUPREY_PATHS") or "/api/v1/seizures?limit=50", "%S+") do
		paths[#paths + 1] = p
	end
	next_path = (offset or 0) % #paths
	wrk.headers["Authorization"] = "Bearer " .. (os.getenv("KOUPREY_TOKEN") or "")
	wrk.headers["Accept"] = "application/json"
end

function request()
	next_path = next_path % #paths + 1
	return wrk.format("GET", paths[next_path])
end
