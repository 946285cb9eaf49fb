/** A place in a file the user gave us. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Where a resource came from: a file position, or only a logical name (an ARN) for live scans. */
export interface ResourceOrigin {
  /** Set when the resource was declared or recorded in a file. */
  location?: SourceLocation;
  /** Logical address of the resource: an ARN, `template.yaml#LogicalId`, `aws_cloudtrail.main`, ... */
  address: string;
  /**
   * The deployment unit the resource is declared in (a CloudFormation template, a Terraform root module), when the
   * source has such units; undefined for resources of the account as a whole (live, exports, snapshots).
   */
  unit?: string;
}

/**
 * A resource's field locations as one compact object. Recorded one field at a time under computed names, the record
 * falls into V8's dictionary mode past a dozen fields (about 1.5 kB for a bucket's); copied at once, it is a plain
 * object whose shape the resources of a kind share. Same entries, same order.
 */
export function compactLocations(locations: Record<string, SourceLocation>): Record<string, SourceLocation> {
  return Object.fromEntries(Object.entries(locations));
}
