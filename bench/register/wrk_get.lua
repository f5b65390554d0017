-- wrk script: GET /api/v1/seizures/{id} for ids drawn at random from
-- [KOUPREY_ID_MIN, KOUPREY_ID_MAX], with the API token in KOUPREY_TOKEN.
-- Each wrk thread has its own fixed seed, so a run is repeatable.

local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("seed", counter)
end

function init(args)
	math.randomseed(1000 + (seed or 0))
	id_min = tonumber(os.getenv("KOUPREY_ID_MIN") or "1")
	id_max = tonumber(os.getenv("KOUPREY_ID_MAX") or "1")
	wrk.headers["Authorization"] = "Bearer " .. (os.getenv("KOUPREY_TOKEN") or "")
	wrk.headers["Accept"] = "application/json"
end

function request()
	return wrk.format("GET", "/api/v1/seizures/" .. math.random(id_min, id_max))
end
