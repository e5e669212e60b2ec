"""Placeworks geometry: pure helpers on shapely 2, pyproj and pyogrio (no Django).

- ``crs``: reprojection between British National Grid (EPSG:27700) and WGS84 (EPSG:4326);
- ``io``: reading boundary files (GeoJSON, zipped Shapefile, GeoPackage) with every problem
  reported by file, feature and code; writing compact GeoJSON;
- ``index``: ``AreaIndex``, point-in-area for a million points at once;
- ``simplify``: tolerances by web-map zoom and the standard zoom buckets;
- ``overlap``: area-overlap crosswalks between geographies that do not nest, and ``apportion``;
- ``measure``: centroid, representative point, bounding box, area in hectares.

Geometry is WGS84 longitude/latitude by convention; areas and overlaps are measured in BNG.
Every public function carries a runnable example; see each module.
"""

from placeworks.geo.crs import (
    BNG,
    WGS84,
    bng_to_wgs84,
    same_crs,
    to_bng,
    to_wgs84,
    transform_geometry,
    transform_xy,
    transformer,
    wgs84_to_bng,
)
from placeworks.geo.index import AreaIndex
from placeworks.geo.io import (
    BoundaryFile,
    BoundaryFileError,
    BoundaryProblem,
    Feature,
    geometry_to_geojson,
    polygonal_part,
    read_boundaries,
    to_feature_collection,
    to_geojson,
    write_geojson,
)
from placeworks.geo.measure import area_hectares, bbox, centroid, representative_point
from placeworks.geo.overlap import Overlap, OverlapWeight, apportion, overlap_weights
from placeworks.geo.simplify import (
    ZOOM_BUCKETS,
    bucket_for_zoom,
    simplify_for_zoom,
    simplify_layer_for_zoom,
    tolerance_for_zoom,
)

__all__ = [
    "BNG",
    "WGS84",
    "ZOOM_BUCKETS",
    "AreaIndex",
    "BoundaryFile",
    "BoundaryFileError",
    "BoundaryProblem",
    "Feature",
    "Overlap",
    "OverlapWeight",
    "apportion",
    "area_hectares",
    "bbox",
    "bng_to_wgs84",
    "bucket_for_zoom",
    "centroid",
    "geometry_to_geojson",
    "overlap_weights",
    "polygonal_part",
    "read_boundaries",
    "representative_point",
    "same_crs",
    "simplify_for_zoom",
    "simplify_layer_for_zoom",
    "to_bng",
    "to_feature_collection",
    "to_geojson",
    "to_wgs84",
    "tolerance_for_zoom",
    "transform_geometry",
    "transform_xy",
    "transformer",
    "wgs84_to_bng",
    "write_geojson",
]
