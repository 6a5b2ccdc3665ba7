/**
 * Stand-ins for Bootlab's TFTP and HTTP servers in the firmware tests: they only record what the firmware asks
 * for (proof it used the DHCP answer). argv[2] = address. Prints "TFTP <file> <client>" and "HTTP <path> <client>".
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';

const address = process.argv[2]!;
const tftp = createSocket('udp4');
tftp.on('message', (buf, rinfo) => {
  if (buf.readUInt16BE(0) !== 1) return; // RRQ
  const file = buf.subarray(2, buf.indexOf(0, 2)).toString('latin1');
  process.stdout.write(`TFTP ${file} ${rinfo.address}\n`);
  const err = Buffer.concat([Buffer.from([0, 5, 0, 1]), Buffer.from('not here\0')]);
  tftp.send(err, rinfo.port, rinfo.address);
});
tftp.bind(69, address);
createServer((req, res) => {
  process.stdout.write(`HTTP ${req.url} ${req.socket.remoteAddress}\n`);
  res.writeHead(404).end();
}).listen(8080, address);
